"""Permission-matrix cases of later parts of the product, one module per part (see
tests/security/matrix_base.py for what a module defines)."""
