"""Authentication and protection for the web app: magic links, accounts, API keys, sessions, CSRF, rate limits."""
