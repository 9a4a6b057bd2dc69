"""Operating the instance: metrics (/metrics), health (/healthz, /readyz) and logs (AGORA_LOG_FORMAT)."""
