-- Phone search matches digits only, however the number was typed: phone_rev (the reversed
-- phone, for tail-number search) drops the separators a landline is stored with.
UPDATE residents SET phone_rev = replace(replace(phone_rev, '-', ''), ' ', '')
WHERE phone_rev IS NOT NULL;
