"""Processing provider and algorithms (citycode:assigncodes, citycode:overlaycheck, citycode:validatecodes)."""
