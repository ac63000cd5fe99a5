-- A standard version's texts in another language: its title, principle titles and criterion
-- texts and guidance. A draft until published; a published translation never changes, like the
-- version it translates.
CREATE TABLE standard_translations (
    standard_version TEXT NOT NULL REFERENCES standards (version),
    -- A canonical BCP 47 tag, e.g. `fr` or `fr-CA`.
    language TEXT NOT NULL,
    -- `draft` or `published`.
    status TEXT NOT NULL,
    -- The whole `TranslationContent` as JSON.
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    PRIMARY KEY (standard_version, language)
);
