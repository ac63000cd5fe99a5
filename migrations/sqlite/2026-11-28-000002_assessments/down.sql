DROP TABLE corrective_actions;
DROP TABLE findings;
DROP TABLE assessments;
DROP TABLE applications;
DROP TABLE certification_bodies;
DROP TABLE standards;
