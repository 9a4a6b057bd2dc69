"""What every layer above may know and none of them owns: the clock, this instance's identity, login tokens."""
