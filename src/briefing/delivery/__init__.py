"""Getting a rendered briefing to people: SMTP delivery (smtp.py)."""
