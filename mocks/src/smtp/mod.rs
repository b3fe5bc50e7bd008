//! SMTP: the sink that receives reply mail from a SUT, and the client mocks use to send it.
