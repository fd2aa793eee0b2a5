"""The versioned REST API (/api/v1/) and its per-user tokens: it composes risks, controls and
maturity as the pages do, through their access rules and services."""
