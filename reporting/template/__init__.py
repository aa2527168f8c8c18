"""The annual report template: the workbook an EPN fills in (standard §2)."""
