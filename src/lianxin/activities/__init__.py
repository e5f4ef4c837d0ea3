"""Activities, duty rosters and contact with voters (ACT, DUTY, VOT)."""
