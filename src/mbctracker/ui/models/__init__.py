"""Qt table models: the patient list and the course record tables."""
