-- Each EPN's history for the outlier review: median, MAD (and mean absolute deviation where
-- the MAD is 0) of its open weeks in the 52 weeks before a review window. Computed once per
-- window and read by every view of it; a statistics upload deletes the windows whose
-- history it changes (warehouse/store.py), the next view computes them again.
CREATE TABLE mart_outlier_baseline (
    base_start           DATE NOT NULL,
    base_end             DATE NOT NULL,
    epn_id               VARCHAR NOT NULL,
    history_weeks        INTEGER NOT NULL,
    visits_median        DOUBLE,
    visits_mad           DOUBLE,
    visits_mean_ad       DOUBLE,
    public_hours_median  DOUBLE,
    public_hours_mad     DOUBLE,
    public_hours_mean_ad DOUBLE
);

-- The windows computed (a window where no EPN has enough history has no row above).
CREATE TABLE mart_outlier_window (
    base_start DATE NOT NULL,
    base_end   DATE NOT NULL,
    computed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (base_start, base_end)
);
