DROP TABLE worker_reports;
