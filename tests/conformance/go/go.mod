module github.com/ferrolog/ferrolog/tests/conformance/go

go 1.24

require github.com/ferrolog/ferrolog/bindings/go v0.0.0

replace github.com/ferrolog/ferrolog/bindings/go => ../../../bindings/go
