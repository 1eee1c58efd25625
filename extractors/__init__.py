"""Pure stages of the pipeline: read, extract, normalise, fingerprint, tag.

Nothing here imports prefect, duckdb or the other packages of this project, so every
function can be tested and reused without an orchestrator or a database.
"""
