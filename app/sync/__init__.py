"""Exchange with the national platform (VXP) and the optional provincial server: edXML packages,
transports, the outbox worker, the inbox, credentials. Nothing here imports Qt; long work takes
progress/cancelled."""
