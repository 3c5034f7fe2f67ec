"""`sync-ai-models demo`: the whole job offline, on sample vendors served from 127.0.0.1."""
