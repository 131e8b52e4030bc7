// The serialization class names: one constant each, imported wherever a name is compared.
export const KAN_LINEAR_CLASS_NAME = 'KANLinear';
export const CONV_KAN_2D_CLASS_NAME = 'ConvKAN2D';
