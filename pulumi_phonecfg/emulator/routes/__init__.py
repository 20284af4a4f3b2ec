"""The emulator's routers, one module per area of the API."""
