"""Tables, the database and the queries crmbot runs; nothing here knows Telegram."""
