"""Use-cases: what crmbot does, independent of Telegram. Each takes `*, session` and `now`."""
