"""Alembic environment: runs on the engine the program opened (batch mode for SQLite)."""

from alembic import context

from desktop.store.schema import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
