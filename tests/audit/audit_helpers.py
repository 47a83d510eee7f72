"""Constants shared by the audit room's tests."""

VERSION = "3f9a0c1d2e4b5a6978877665544332211ffeeddccbbaa0099887766554433221"
