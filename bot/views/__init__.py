"""The presentation layer: data + language + time zone -> Telegram HTML and plain button rows.

Every user-facing message is worded here (through the i18n catalogs); nothing here touches
the database or Telegram. Handlers and jobs call a view, then send what it returns.
"""
