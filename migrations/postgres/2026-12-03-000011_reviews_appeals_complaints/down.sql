DROP TABLE technical_reviews;
