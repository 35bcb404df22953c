"""`tempo-async sync`'s parts: the `--db` URL, the tables, the SQLite and PostgreSQL
stores, and the sync runs that keep a table in step with Tempo."""
