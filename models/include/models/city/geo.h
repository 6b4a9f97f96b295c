#pragma once
// Geographic positions on the city's plane: an equirectangular projection around a reference
// point, accurate to well under 1 % across a city.
#include "models/city/city.h"

#include <cmath>
#include <numbers>

namespace hcesim::models {

struct PlaneProjection {
  double lat0 = 0; //!< degrees: the plane's origin
  double lon0 = 0;

  Point to_plane(double lat, double lon) const {
    const double m_per_deg_lat = 110'574.0;
    const double m_per_deg_lon = 111'320.0 * std::cos(lat0 * std::numbers::pi / 180.0);
    return Point{static_cast<int32_t>(std::lround((lon - lon0) * m_per_deg_lon)),
                 static_cast<int32_t>(std::lround((lat - lat0) * m_per_deg_lat))};
  }
};

} // namespace hcesim::models
