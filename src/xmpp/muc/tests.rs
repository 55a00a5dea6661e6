//! Tests of the room handlers from XEP-0045 and related examples.
