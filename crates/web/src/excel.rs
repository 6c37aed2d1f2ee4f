//! Excel in and out.
