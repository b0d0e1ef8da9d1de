"""The ledger's changes, one module per record they change (entries, budgets, sanctions, the yearly run,
claims, batches, run jobs). Each is one ``transaction.atomic()`` with its audit record; the ``@transition``
declarations register when ``ledger.transitions`` imports these modules."""



