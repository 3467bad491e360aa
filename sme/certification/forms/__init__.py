"""Forms of the certification pages, one module per seam. They parse what people type; what is
acceptable is the services' decision (the same for the pages, the API and the daily job)."""
