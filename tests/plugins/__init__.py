"""Activity-type plugins that the tests install, written as a third party would
write them: against lms's public contract only (lms.coursepacks.types and
contracts, and the progress service), never by editing lms/."""
