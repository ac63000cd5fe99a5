DROP TABLE grant_reads;
DROP TABLE sharing_grants;
