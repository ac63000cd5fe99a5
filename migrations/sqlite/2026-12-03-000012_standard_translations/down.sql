DROP TABLE standard_translations;
