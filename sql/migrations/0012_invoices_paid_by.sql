-- Who marked an invoice paid (POST /v2/payments/mark-invoices-as-paid,
-- issue 12): paid_at says when, paid_by by whom. Both stay once set, so
-- that marking an invoice again changes nothing.
ALTER TABLE invoices
    ADD COLUMN paid_by BIGINT UNSIGNED NULL AFTER paid_at,
    ADD CONSTRAINT fk_invoices_paid_by FOREIGN KEY (paid_by) REFERENCES users (id);
