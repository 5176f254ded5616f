//! Unit tests of the JavaScript back end on small models (the Node suites in tests/js/ run it).

use super::render;
