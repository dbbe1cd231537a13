"""The one Alembic migration tree of the whole database (store, companies, outbox, sign-in tables).

Run by :mod:`tenders.store.schema` (opening the embedded store, ``anbudsvakt db upgrade``) and by the ``alembic``
command from the repository root (``alembic.ini``).
"""
