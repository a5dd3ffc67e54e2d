-- PostgreSQL leaves room on ledger_accounts' pages for balances rewritten
-- in place (fillfactor). SQLite rewrites a row where it is: nothing to do.
SELECT 1;
