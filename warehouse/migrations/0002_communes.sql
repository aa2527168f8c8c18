-- Reference data: the 19 communes of the Brussels-Capital Region (Statbel, 1 January 2020).
CREATE TABLE commune (
    commune_nis      INTEGER PRIMARY KEY,
    name_fr          VARCHAR NOT NULL,
    name_nl          VARCHAR NOT NULL,
    inhabitants      INTEGER NOT NULL,
    postcodes        VARCHAR[]
);
INSERT INTO commune
SELECT nis_code, name_fr, name_nl, inhabitants_2020, string_split(postcodes, ';')
FROM read_csv('{reference}/brussels_communes.csv', header = true, all_varchar = true);
