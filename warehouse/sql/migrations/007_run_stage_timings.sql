-- 007: where each run spent its time: {"feed": s, "fetch": s, "extract": s, "tag": s,
-- "dedupe": s, "load": s, "wait_extract": s}. extract and tag are CPU seconds summed over
-- the extraction processes; the others are wall seconds in the flow.
alter table runs add column if not exists stage_s json;
