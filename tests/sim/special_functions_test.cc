#include "sim/special_functions.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim::sim;

TEST(SpecialFunctions, LogGammaMatchesKnownValues) {
  EXPECT_NEAR(log_gamma(1), 0, 1e-14);
  EXPECT_NEAR(log_gamma(0.5), 0.5 * std::log(M_PI), 1e-14);
  EXPECT_NEAR(log_gamma(10), std::log(362880.0), 1e-12);
  EXPECT_NEAR(log_gamma(0.1), 2.252712651734206, 1e-13);
  EXPECT_NEAR(log_gamma(1000.5), 5908.674175848678, 1e-9);
  EXPECT_NEAR(log_factorial(0), 0, 0);
  EXPECT_NEAR(log_factorial(20), std::log(2432902008176640000.0), 1e-13);
  EXPECT_NEAR(log_factorial(100), 363.73937555556347, 1e-10);
}

TEST(SpecialFunctions, IncompleteBetaMatchesClosedForms) {
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b.
  EXPECT_NEAR(incomplete_beta(1, 1, 0.3), 0.3, 1e-14);
  EXPECT_NEAR(incomplete_beta(2.5, 1, 0.7), std::pow(0.7, 2.5), 1e-14);
  EXPECT_NEAR(incomplete_beta(1, 4, 0.2), 1 - std::pow(0.8, 4), 1e-14);
  EXPECT_NEAR(incomplete_beta(3, 3, 0.5), 0.5, 1e-14);
  EXPECT_EQ(incomplete_beta(2, 3, 0), 0);
  EXPECT_EQ(incomplete_beta(2, 3, 1), 1);
}

TEST(SpecialFunctions, StudentTQuantilesMatchTheTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652730, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776445105, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262157163, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 29), 2.045229642, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 1000), 1.962339081, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.95, 10), 1.812461123, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.995, 5), 4.032142984, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.9995, 1), 636.6192487, 1e-5);
  EXPECT_NEAR(student_t_quantile(0.025, 4), -2.776445105, 1e-8);
  EXPECT_EQ(student_t_quantile(0.5, 7), 0);
  // Towards the normal for large dof: z(0.975) = 1.959963985.
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.959963985, 1e-6);
}

TEST(SpecialFunctions, StudentTCdfInvertsTheQuantile) {
  for (double dof : {1.0, 3.0, 12.5, 200.0}) {
    for (double p : {0.01, 0.3, 0.6, 0.9, 0.999}) {
      EXPECT_NEAR(student_t_cdf(student_t_quantile(p, dof), dof), p, 1e-12)
          << "dof=" << dof << " p=" << p;
    }
  }
  // Cauchy (dof 1): F(t) = 1/2 + atan(t)/π.
  EXPECT_NEAR(student_t_cdf(2, 1), 0.5 + std::atan(2.0) / M_PI, 1e-14);
}
