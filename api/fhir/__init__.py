"""FHIR R4 under /fhir: DocumentReference search and read, AuditEvent, CapabilityStatement."""
