import baseConfig from '../../eslint.config.mjs';

// No consistent-type-imports here: Nest's injection needs the real (value) imports.
export default [...baseConfig];
