"""The statements as report JSON and as documents for HTML, PDF, DOCX and XLSX: one module per statement, each
with the kinds of report it gathers; `kinds` names them for the registry and the pages."""
