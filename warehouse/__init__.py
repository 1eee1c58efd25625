"""The DuckDB warehouse: schema migrations, batch loading, views, search, digests.

Every access to the database goes through `warehouse.db`; nothing here imports
prefect or the extractors.
"""
