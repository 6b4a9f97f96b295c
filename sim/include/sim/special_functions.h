#pragma once
// Special functions the distributions and confidence intervals need, written here so they are
// thread-safe (std::lgamma writes the global `signgam`) and give the same results everywhere the
// C library's log/exp do.
namespace hcesim::sim {

//! ln Γ(x) for x > 0 (Lanczos approximation, relative error below 1e-14).
double log_gamma(double x);

//! ln(k!) for k >= 0: exact table for small k, log_gamma beyond.
double log_factorial(long long k);

//! The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]
//! (Lentz's continued fraction, relative error below about 1e-13).
double incomplete_beta(double a, double b, double x);

//! P(T <= t) for Student's t with `dof` > 0 degrees of freedom.
double student_t_cdf(double t, double dof);

//! The p-quantile of Student's t with `dof` > 0 degrees of freedom, p in (0, 1): the t with
//! student_t_cdf(t, dof) == p (bisection on the incomplete beta function, to full precision).
double student_t_quantile(double p, double dof);

} // namespace hcesim::sim
