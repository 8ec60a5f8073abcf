const koffi = require('koffi');
const so = koffi.load('/work/wt-node/target/release/libferrolog.so');
const ferrolog = require('..');
const c = new ferrolog.Client({ apiKey: 'k', endpoint: 'http://127.0.0.1:9/v1/logs', maxRetries: 0 });
const h = c.logger()._handle;
function t(name, f){ for(let i=0;i<50000;i++) f(i); const N=300000; const s=process.hrtime.bigint(); for(let i=0;i<N;i++) f(i); console.log(name.padEnd(40), (Number(process.hrtime.bigint()-s)/N).toFixed(0)); }
const en = so.func('bool ferrolog_logger_enabled(void *l, int32_t lvl)');
const log6 = so.func('int32_t ferrolog_log(void *l, int32_t lvl, void *m, size_t ml, void *j, size_t jl)');
const log6u = so.func('int32_t ferrolog_log(void *l, int32_t lvl, uint64_t m, uint64_t ml, uint64_t j, uint64_t jl)');
const log6i = so.func('int32_t ferrolog_log(void *l, int32_t lvl, int64_t m, int64_t ml, int64_t j, int64_t jl)');
const log6d = so.func('int32_t ferrolog_log(intptr_t l, int32_t lvl, intptr_t m, intptr_t ml, intptr_t j, intptr_t jl)');
const hn = Number(h);
t('enabled', () => en(h, 7));
t('log6 void* nulls', () => log6(h, 8, null, 0, null, 0));
t('log6 uint64 zeros', () => log6u(h, 8, 0, 0, 0, 0));
t('log6 int64 zeros', () => log6i(h, 8, 0, 0, 0, 0));
t('log6 intptr numbers', () => log6d(hn, 8, 0, 0, 0, 0));
t('empty loop', () => 0);
