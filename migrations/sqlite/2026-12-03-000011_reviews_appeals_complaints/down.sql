DROP TABLE complaints;
DROP TABLE appeals;
DROP TABLE technical_reviews;
