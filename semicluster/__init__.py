"""semicluster: steer and monitor a semiconductor industry cluster against its work plan."""
