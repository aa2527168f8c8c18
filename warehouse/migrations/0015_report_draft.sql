-- The annual report as an EPN fills it in the browser, step by step, before sending it:
-- one draft per EPN and year, kept between visits and dropped once the report is accepted.
-- The content is the form's own JSON (codes of the standard, not labels); what counts is
-- the report it becomes, stored like any uploaded workbook.
CREATE TABLE report_draft (
    epn_id     VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    content    JSON NOT NULL,
    step       VARCHAR NOT NULL,  -- the step the EPN saved last, where the form reopens
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (epn_id, year)
);
