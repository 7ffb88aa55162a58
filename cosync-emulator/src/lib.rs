//! A local CoSync Auth server (work in progress).
