"""Writers for downloads: CSV and PDF. Pure functions of ready values, no requests or queries."""
