"""crmbot: a chat-native CRM for channel sales teams, in Telegram group chats."""
