package ferrolog

// #include "ferrolog.h"
import "C"

import "encoding/json"

// Stats is a snapshot of a client's counters.
type Stats struct {
	Accepted          uint64 `json:"accepted"`
	Sent              uint64 `json:"sent"`
	Retried           uint64 `json:"retried"`
	Requests          uint64 `json:"requests"`
	AttributesDropped uint64 `json:"attributes_dropped"`
	ValuesTruncated   uint64 `json:"values_truncated"`
	Queued            uint64 `json:"queued"`
	// Dropped counts the entries dropped, by reason (queue_overflow, network_error, …).
	Dropped map[string]uint64 `json:"dropped"`
	// LastError is the last delivery failure, when there was one.
	LastError *string `json:"last_error"`
}

// DroppedTotal is the entries dropped for any reason.
func (s Stats) DroppedTotal() uint64 {
	var total uint64
	for _, count := range s.Dropped {
		total += count
	}
	return total
}

// Stats reads the client's counters.
func (c *Client) Stats() (Stats, error) {
	ptr, err := c.h.acquire()
	if err != nil {
		return Stats{}, err
	}
	defer c.h.release()
	var snapshot *C.ferrolog_stats
	if err := check("ferrolog_client_stats", C.ferrolog_client_stats(ptr, &snapshot)); err != nil {
		return Stats{}, err
	}
	defer C.ferrolog_stats_free(snapshot)
	text, err := readString("ferrolog_stats_json", func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result {
		return C.ferrolog_stats_json(snapshot, buf, capacity, needed)
	})
	if err != nil {
		return Stats{}, err
	}
	var stats Stats
	err = json.Unmarshal([]byte(text), &stats)
	return stats, err
}
